package io.ovsanp.controller.cli;

import java.util.List;

/**
 * The text form of a {@link ConnectivityMatrix}: a legend numbering the columns, then one grid per
 * port class, a row per pod (a blank line between namespaces), {@code A} allowed, {@code D} denied
 * (by either side), {@code -} no address of the column's families. {@code explain} tells why.
 */
final class MatrixText {
    private MatrixText() {}

    static String render(ConnectivityMatrix m) {
        StringBuilder b = new StringBuilder();
        b.append("connectivity matrix: ")
                .append(m.rows().size())
                .append(" pods (rows) x ")
                .append(m.columns().size())
                .append(" destinations (columns), ")
                .append(m.ports().size())
                .append(" ports\n");
        b.append("A = allowed (egress and ingress), D = denied, - = no address of that family;"
                + " ovs-anp explain --from ROW --to COLUMN says why\n");
        b.append("columns:\n");
        int width = String.valueOf(m.columns().size()).length();
        for (int c = 0; c < m.columns().size(); c++) {
            ConnectivityMatrix.Column col = m.columns().get(c);
            b.append(String.format("  %" + width + "d  %s  (%s, %s)%n", c + 1, col.name(), col.note(), addresses(col)));
        }
        int rowWidth = m.rows().stream().mapToInt(p -> p.key().length()).max().orElse(0);
        for (int p = 0; p < m.ports().size(); p++) {
            MatrixPorts.PortClass port = m.ports().get(p);
            b.append('\n')
                    .append(port.label())
                    .append("  (")
                    .append(port.covers())
                    .append(")\n");
            b.append(" ".repeat(rowWidth));
            for (int c = 0; c < m.columns().size(); c++) {
                b.append(' ').append(pad(String.valueOf(c + 1), width));
            }
            b.append('\n');
            List<List<ConnectivityMatrix.Cell>> grid = m.cells().get(p);
            String namespace = null;
            for (int r = 0; r < m.rows().size(); r++) {
                String ns = m.rows().get(r).namespace();
                if (namespace != null && !namespace.equals(ns)) {
                    b.append('\n');
                }
                namespace = ns;
                String key = m.rows().get(r).key();
                b.append(key).append(" ".repeat(rowWidth - key.length()));
                for (ConnectivityMatrix.Cell cell : grid.get(r)) {
                    b.append(' ').append(pad(symbol(cell), width));
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    static String symbol(ConnectivityMatrix.Cell cell) {
        return !cell.applicable() ? "-" : cell.allowed() ? "A" : "D";
    }

    private static String addresses(ConnectivityMatrix.Column col) {
        return String.join(" ", col.addresses().stream().map(Object::toString).toList());
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
