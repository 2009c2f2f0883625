package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ovs-anp matrix}: who can reach whom, as {@code explain} would answer for every pod and
 * destination on every port the policies tell apart ({@link ConnectivityMatrix}). Text is a compact
 * grid per port; HTML one self-contained page whose cells name the deciding rules on hover.
 */
@Command(
        name = "matrix",
        mixinStandardHelpOptions = true,
        description = "Connectivity matrix: every pod (rows) to every pod, node, apiserver endpoint and a host inside"
                + " each CIDR the policies name (columns), per port the rules tell apart plus one other port;"
                + " each cell is the verdict explain gives.")
final class MatrixCommand extends CliCommand {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    ServiceVipOptions serviceVips;

    @Option(
            names = "--format",
            defaultValue = "text",
            paramLabel = "text|html",
            description = "text (default): a grid per port, A allowed, D denied. html: one self-contained page"
                    + " (no network fetches), cells coloured, the deciding rules in each cell's title.")
    String format;

    @Override
    int execute() throws SnapshotLoadException, BadInput {
        boolean html = switch (format) {
            case "text" -> false;
            case "html" -> true;
            default -> throw new BadInput("--format must be text or html, not " + format);
        };
        ServiceVips vips = serviceVips.value();
        ClusterSnapshot snapshot = cluster.load();
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        report(policies.diagnostics(), false);
        ConnectivityMatrix matrix = ConnectivityMatrix.build(snapshot, policies, vips);
        if (html) {
            String source = cluster.paths.stream().map(p -> p.toString()).collect(Collectors.joining(" "));
            out().print(MatrixHtml.render(matrix, source));
        } else {
            out().print(MatrixText.render(matrix));
        }
        return Main.EXIT_OK;
    }
}
