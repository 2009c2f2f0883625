package io.ovsanp.compiler.cluster;

import io.ovsanp.compiler.policy.Protocol;

/** A named or unnamed container port; only named ones can be targets of namedPort. */
public record ContainerPort(String name, Protocol protocol, int port) {
    public ContainerPort {
        name = name == null ? "" : name;
    }
}
