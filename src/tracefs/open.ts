// SPDX-License-Identifier: GPL-2.0-only
// Opening tracefs for a run: locate (or mount), hold its root as an fd, then
// detect what it offers.
import { kernelInfo } from './kernel.js';
import { detectFeatures, readFeatureInput, refineWithConfig, supportedKinds } from './features.js';
import { locate, requireWritable } from './mount.js';
import { native, isErr } from '../native/index.js';
import { EnvironmentError } from '../errors.js';
import type { OnTeardown } from '../model.js';
import type { Tracefs } from './types.js';

/** The one file outside tracefs a run writes through the addon (race drop_caches). */
export const WRITABLE_OUTSIDE = ['/proc/sys/vm/drop_caches'];

/**
 * Registers `root` with the addon: it is opened once (O_PATH|O_DIRECTORY,
 * checked to be tracefs on the fd) and every later tracefs path is resolved
 * beneath that fd, so a mount or symlink swapped over the path afterwards
 * redirects nothing; writes outside it are refused (src/native/types.ts).
 */
export function registerRoot(root: string): void {
  const fd = native.setRoot(root, WRITABLE_OUTSIDE);
  if (isErr(fd)) {
    const why = fd.code === 'EMEDIUMTYPE' ? 'it is not tracefs' : fd.code;
    throw new EnvironmentError(`cannot hold tracefs at ${root} open (${why})`);
  }
}

/** `onTeardown` gets the unmount step when tracefs had to be mounted, and the release of the root fd. */
export function openTracefs(opts: {
  path?: string;
  writable?: boolean;
  mount?: boolean;
  onTeardown: OnTeardown;
}): Tracefs {
  // Registered first so it runs last (teardown is newest first): every
  // removal before it still resolves through the root fd. A no-op until the
  // root is held (the addon may not even load).
  let held = false;
  opts.onTeardown('release the tracefs root fd', () => {
    if (held) native.clearRoot();
  });
  const loc = locate(opts.path, { mount: opts.mount ?? true, onTeardown: opts.onTeardown });
  registerRoot(loc.root);
  held = true;
  if (opts.writable ?? true) requireWritable(loc);
  const input = readFeatureInput(loc.root);
  const kernel = kernelInfo();
  const features = refineWithConfig(detectFeatures(input), kernel.config);
  return {
    root: loc.root,
    mountedByUs: loc.mountedByUs,
    features,
    kinds: supportedKinds(features),
    kernel,
    readmeHas: (s) => input.readme.includes(s),
  };
}
