// SPDX-License-Identifier: GPL-2.0-only
// A result's status in KernelCI's words (its test nodes are pass, fail, skip
// or error), so a consumer of the JSON report need not learn ftracetest's
// seven. An XFAIL is KTAP `ok ... # XFAIL` (the run passes), an XPASS fails
// the run; UNRESOLVED and TIMEOUT gave no verdict on the kernel: error.
import type { ResultStatus } from './types.js';

export type KernelciStatus = 'pass' | 'fail' | 'skip' | 'error';

export const KERNELCI_STATUS: Readonly<Record<ResultStatus, KernelciStatus>> = {
  PASS: 'pass',
  XFAIL: 'pass',
  FAIL: 'fail',
  XPASS: 'fail',
  UNSUPPORTED: 'skip',
  UNRESOLVED: 'error',
  TIMEOUT: 'error',
};

export function kernelciStatus(status: ResultStatus): KernelciStatus {
  return KERNELCI_STATUS[status];
}
