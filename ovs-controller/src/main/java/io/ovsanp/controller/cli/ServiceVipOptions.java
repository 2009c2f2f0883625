package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ServiceVips;
import picocli.CommandLine.Option;

/**
 * {@code --service-vips none|pre-dnat}: whether br-int sees Service ClusterIPs before DNAT. With
 * {@code pre-dnat} a rule whose peers cover the endpoints of {@code default/kubernetes} also matches
 * its ClusterIP and service port (Deny/Pass when any endpoint is covered, Allow when all are). A
 * {@code @Mixin} for every command that compiles or evaluates.
 */
final class ServiceVipOptions {
    @Option(
            names = "--service-vips",
            defaultValue = "none",
            paramLabel = "none|pre-dnat",
            description = "none (default): the pipeline sees Service endpoints. pre-dnat: it sees ClusterIPs before"
                    + " DNAT, so rules covering the apiserver's endpoints also match the kubernetes ClusterIP.")
    String serviceVips;

    ServiceVips value() throws BadInput {
        return ServiceVips.parse(serviceVips)
                .orElseThrow(
                        () -> new BadInput("--service-vips must be none or pre-dnat, not \"" + serviceVips + "\""));
    }
}
