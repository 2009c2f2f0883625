/**
 * Continuations on a real ovs-vswitchd: packets held by {@code controller(pause)} and resumed with
 * NXT_RESUME through our codec (docs/ovs-notes.md §2.7), the ground issue 17's DNS interception
 * stands on.
 */
package io.ovsanp.it.continuation;
