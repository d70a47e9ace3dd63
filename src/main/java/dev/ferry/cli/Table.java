package dev.ferry.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Columns aligned as Docker's table output aligns them (Go's tabwriter with a minimum width of 10,
 * padding of 3 and spaces): each column as wide as its widest cell plus the padding, the last
 * column not padded. Rows are held until {@link #print}, since a width depends on every row.
 */
final class Table {

    private static final int MIN_WIDTH = 10;
    private static final int PADDING = 3;

    private final List<List<String>> rows = new ArrayList<>();

    void add(List<String> cells) {
        rows.add(List.copyOf(cells));
    }

    /** Prints every row; each line goes through the terminal's escaping first. */
    void print(PrintStream out) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        List<List<String>> safe = rows.stream().map(r -> r.stream().map(TerminalText::line).toList()).toList();
        for (List<String> row : safe) {
            for (int i = 0; i < row.size() - 1; i++) {
                widths[i] = Math.max(widths[i], Math.max(MIN_WIDTH, row.get(i).length() + PADDING));
            }
        }
        for (List<String> row : safe) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                line.append(cell);
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - cell.length()));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
