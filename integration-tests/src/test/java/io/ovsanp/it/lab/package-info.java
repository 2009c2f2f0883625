/**
 * End-to-end tests with real packets in the one-machine lab of {@code lab/} (network namespaces, one
 * userspace Open vSwitch per node): {@link io.ovsanp.it.lab.Lab} drives the lab's scripts, {@link
 * io.ovsanp.it.lab.Probes} sends TCP, UDP and ICMP probes from pods and tells a drop (timeout) from
 * a refusal.
 */
package io.ovsanp.it.lab;
