/** electron-builder names the target OS `${os}`: linux, mac or win. Shared by staging and the runtime resolver. */
export function builderOs(platform: NodeJS.Platform = process.platform): 'linux' | 'mac' | 'win' {
  if (platform === 'darwin') return 'mac';
  if (platform === 'win32') return 'win';
  return 'linux';
}

export const platformDirName = (platform: NodeJS.Platform = process.platform, arch: string = process.arch): string => `${builderOs(platform)}-${arch}`;
