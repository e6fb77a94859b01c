// What each dashboard module returns; index.ts adds what they share (links, time, tags).
import type { PanelBuilder } from "./panels";
import type { VariableBuilder } from "./variables";

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  variables: VariableBuilder[];
  panels: PanelBuilder[];
}
