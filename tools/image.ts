// `npx tsx tools/image.ts [--tag NAME]`: builds the service's image from service/Dockerfile with
// buildah, without Docker or a registry (see service-image.ts). The image test runs this command.
import { parseArgs } from "node:util";
import { buildServiceImage, SERVICE_IMAGE } from "./service-image";

const USAGE = `usage: npx tsx tools/image.ts [--tag NAME]   (default ${SERVICE_IMAGE})`;

async function main(): Promise<void> {
  let values: { tag: string; help: boolean };
  try {
    values = parseArgs({
      options: {
        tag: { type: "string", default: SERVICE_IMAGE },
        help: { type: "boolean", default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const started = Date.now();
  const tag = await buildServiceImage({ tag: values.tag, log: (line) => console.log(`[image] ${line}`) });
  console.log(`[image] built ${tag} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(`[image] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
