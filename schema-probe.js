const { ComponentProvider } = require("@pulumi/pulumi/provider/experimental");
const lib = require("showcase-monitoring");
const { getPulumiComponents } = require("@pulumi/pulumi/provider/experimental/provider");
const components = getPulumiComponents(lib);
console.error(components.map(c=>c.name));
const p = new ComponentProvider({ components, dirname: process.argv[2], name: "showcase-monitoring" });
p.getSchema().then(s => console.log(JSON.stringify(JSON.parse(s), null, 1).slice(0, 4000))).catch(e => { console.error("ERR", e.message); process.exit(1); });
