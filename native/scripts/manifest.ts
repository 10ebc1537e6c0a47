import { readFileSync } from 'node:fs';

export interface ToolSource {
  binary: string;
  packages?: string[];
  system?: string;
  note?: string;
}

export interface ManifestTool {
  name: string;
  required: boolean;
  versionArgs: string[];
  minimumVersion?: string;
  sources: Partial<Record<'linux' | 'mac' | 'win', ToolSource>>;
}

export interface Manifest {
  tools: ManifestTool[];
  baseLibraries: string[];
}

export function readManifest(path = new URL('../manifest.json', import.meta.url)): Manifest {
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

/** What stage.ts writes next to the staged files, and verify.ts checks. */
export interface StagedRecord {
  platform: string;
  stagedAt: string;
  tools: Array<{ name: string; binary: string; version: string | null; from: string }>;
  files: Record<string, { sha256: string; executable: boolean }>;
}
