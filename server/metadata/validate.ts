/**
 * JSON Schema validation of one YAML object and the cross-checks between objects.
 * (Placeholder: filled in by the metadata-validation work.)
 */
import type { Configuration, MetadataIssue } from "./types.ts";

export function validateAgainstSchema(_raw: unknown, _file: string, _issues: MetadataIssue[]): void {}

export function crossCheck(_conf: Configuration, _issues: MetadataIssue[]): void {}
