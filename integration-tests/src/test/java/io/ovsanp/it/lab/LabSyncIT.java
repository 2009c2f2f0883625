package io.ovsanp.it.lab;

/** The user stories in the lab with one {@code ovs-anp sync} controller per node (reads files). */
class LabSyncIT extends LabClusterChanges {
    @Override
    String controller() {
        return "sync";
    }
}
