package io.ovsanp.controller.cli;

import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import io.ovsanp.compiler.pipeline.Placement;
import picocli.CommandLine.Option;

/**
 * Where ovs-anp's stage sits in the bridge's tables (docs/cni-integration.md). The defaults are the
 * standalone pipeline (tables 0..7, own conntrack zone 65000, exit NORMAL, identity by source IP);
 * in a CNI's pipeline they say which tables ovs-anp may use and how packets come back to the CNI.
 * Every value can also come from the environment (the ConfigMap of {@code deploy/}).
 */
final class PlacementOptions {
    @Option(
            names = "--first-table",
            defaultValue = "${env:OVSANP_FIRST_TABLE:-0}",
            paramLabel = "N",
            description = "First table of ovs-anp's stage (default 0; env OVSANP_FIRST_TABLE).")
    int firstTable;

    @Option(
            names = "--max-tables",
            defaultValue = "${env:OVSANP_MAX_TABLES:-11}",
            paramLabel = "N",
            description = "How many tables from the first ovs-anp may use (default 11; env OVSANP_MAX_TABLES).")
    int maxTables;

    @Option(
            names = "--reserved-tables",
            defaultValue = "${env:OVSANP_RESERVED_TABLES:-}",
            paramLabel = "LIST",
            description = "Tables ovs-anp must never use, e.g. 0-39,50-60 (the CNI's; env OVSANP_RESERVED_TABLES).")
    String reservedTables;

    @Option(
            names = "--exit",
            defaultValue = "${env:OVSANP_EXIT:-normal}",
            paramLabel = "normal|goto:N|resubmit:N",
            description = "Where allowed packets go after the stage (default normal; env OVSANP_EXIT).")
    String exit;

    @Option(
            names = "--conntrack",
            defaultValue = "${env:OVSANP_CONNTRACK:-own}",
            paramLabel = "own|cni",
            description = "Run ovs-anp's own conntrack stage, or read the state of the CNI's ct(zone=Z)"
                    + " (default own; env OVSANP_CONNTRACK).")
    String conntrack;

    @Option(
            names = "--ct-zone",
            defaultValue = "${env:OVSANP_CT_ZONE:-65000}",
            paramLabel = "Z",
            description = "Conntrack zone: ovs-anp's own, or the CNI's (default 65000; env OVSANP_CT_ZONE).")
    int zone;

    @Option(
            names = "--source-identity",
            defaultValue = "${env:OVSANP_SOURCE_IDENTITY:-ip}",
            paramLabel = "ip|regN",
            description = "Recognise subject pods by source IP, or by a register the CNI's spoof guard fills with"
                    + " the pod's IPv4 address per port (default ip; env OVSANP_SOURCE_IDENTITY).")
    String sourceIdentity;

    /** The placement, or {@link BadInput} naming the setting at fault (exit code 2). */
    Placement placement() throws BadInput {
        try {
            Placement.Conntrack ct = switch (conntrack.trim()) {
                case "own" -> Placement.Conntrack.OWN;
                case "cni" -> Placement.Conntrack.CNI;
                default ->
                    throw new Placement.PlacementException("conntrack \"" + conntrack + "\": expected own or cni");
            };
            return new Placement(
                    firstTable,
                    maxTables,
                    Placement.parseTables(reservedTables),
                    Placement.parseExit(exit),
                    ct,
                    zone,
                    Placement.parseIdentity(sourceIdentity));
        } catch (Placement.PlacementException e) {
            throw new BadInput("pipeline placement refused: " + e.getMessage());
        }
    }

    PipelineSpec pipeline() throws BadInput {
        return PipelineSpec.of(placement());
    }

    CompileOptions compileOptions() throws BadInput {
        return new CompileOptions(pipeline(), CompileOptions.DEFAULT.generation());
    }

    /** The placement with the service-VIP mode: what every compiling command compiles with. */
    CompileOptions compileOptions(ServiceVipOptions serviceVips) throws BadInput {
        return compileOptions().withServiceVips(serviceVips.value());
    }
}
