/**
 * Per-switch convergence: the reconciler that diffs desired against installed flows (owned by
 * cookie) and applies the difference as one atomic ONF bundle, and the periodic audit.
 */
package io.ovsanp.controller.switches;
