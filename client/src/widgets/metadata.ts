/** GET /api/metadata once per page, for widgets that are opened with a name only (the picker). */
import { get } from "../api.ts";
import type { Metadata } from "./types.ts";

let cached: Promise<Metadata> | undefined;

export function loadMetadata(): Promise<Metadata> {
  cached ??= get<Metadata>("/metadata").catch((e) => {
    cached = undefined;
    throw e;
  });
  return cached;
}
