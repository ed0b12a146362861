package dev.initbench.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a table (header plus rows of cells) as aligned plain text for the console, or as a GitHub-flavoured
 * Markdown table with every cell escaped. Shared by the run report and {@code compare}.
 */
public final class TextTables {

    private TextTables() {
    }

    /** Plain text: the first column left-aligned, the others right-aligned, columns separated by two spaces. */
    public static String plain(List<String> header, List<List<String>> rows) {
        int columns = header.size();
        int[] widths = new int[columns];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], cell(row, c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < all.size(); r++) {
            List<String> row = all.get(r);
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String value = cell(row, c);
                String padding = " ".repeat(widths[c] - value.length());
                line.append(c == 0 ? value + padding : padding + value);
                if (c < columns - 1) {
                    line.append("  ");
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                int total = 0;
                for (int width : widths) {
                    total += width;
                }
                out.append("-".repeat(total + 2 * (columns - 1))).append('\n');
            }
        }
        return out.toString();
    }

    /** A Markdown table, the first column left-aligned, the others right-aligned. */
    public static String markdown(List<String> header, List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        out.append(markdownRow(header));
        StringBuilder rule = new StringBuilder("|");
        for (int c = 0; c < header.size(); c++) {
            rule.append(c == 0 ? "---|" : "---:|");
        }
        out.append(rule).append('\n');
        for (List<String> row : rows) {
            out.append(markdownRow(row));
        }
        return out.toString();
    }

    /**
     * Escapes text for a Markdown table cell: HTML-significant characters become entities (GitHub renders inline
     * HTML), Markdown punctuation is backslash-escaped, pipes cannot end the cell, line breaks become spaces.
     */
    public static String escapeMarkdown(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '|', '\\', '`', '*', '_', '[', ']', '#', '~' -> out.append('\\').append(ch);
                case '\n', '\r' -> out.append(' ');
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    private static String markdownRow(List<String> cells) {
        StringBuilder row = new StringBuilder("|");
        for (String cell : cells) {
            row.append(' ').append(escapeMarkdown(cell)).append(" |");
        }
        return row.append('\n').toString();
    }

    private static String cell(List<String> row, int column) {
        return column < row.size() ? row.get(column) : "";
    }
}
