// Imported by every function container of the engine test's local cloud, before its handler: the handlers
// there know the probe kind as the product's own kinds are known.
import { addRequestKind } from "../../../functions/requests";
import { PROBE_KIND, probeKind } from "./probe-kind";

addRequestKind(PROBE_KIND, probeKind);
