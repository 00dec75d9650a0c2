// Opening tracefs for a run: locate (or mount), then detect what it offers.
import { kernelInfo } from './kernel.js';
import { detectFeatures, readFeatureInput, refineWithConfig, supportedKinds } from './features.js';
import { locate, requireWritable } from './mount.js';
import type { OnTeardown } from '../model.js';
import type { Tracefs } from './types.js';

/** `onTeardown` gets the unmount step when tracefs had to be mounted. */
export function openTracefs(opts: {
  path?: string;
  writable?: boolean;
  mount?: boolean;
  onTeardown: OnTeardown;
}): Tracefs {
  const loc = locate(opts.path, { mount: opts.mount ?? true, onTeardown: opts.onTeardown });
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
