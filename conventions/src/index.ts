// The service's contract with its monitoring, shared by the service (service/) and the generators
// (showcase-monitoring/monitoring) so that each lives once. No dependencies: the image carries it.
export * from "./metrics";
export * from "./endpoints";
