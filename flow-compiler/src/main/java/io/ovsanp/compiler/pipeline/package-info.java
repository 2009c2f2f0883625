/**
 * The policy pipeline (egress and ingress) declared as data: ordered tables with purpose, miss behaviour and legal next
 * tables; flows that break the declaration are refused. See {@link
 * io.ovsanp.compiler.pipeline.PipelineSpec} for the table diagram and the cookie bit map.
 */
package io.ovsanp.compiler.pipeline;
