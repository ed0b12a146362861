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

    /**
     * Like {@link #plain}, but no line longer than {@code width}: when the columns do not fit, they are split into
     * blocks (separated by a blank line) that each repeat the first column. A single column wider than the width
     * still gets a block of its own.
     */
    public static String plain(List<String> header, List<List<String>> rows, int width) {
        int columns = header.size();
        int[] widths = new int[columns];
        for (int c = 0; c < columns; c++) {
            widths[c] = cell(header, c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], cell(row, c).length());
            }
        }
        List<String> blocks = new ArrayList<>();
        int from = 1;
        while (from < columns || blocks.isEmpty()) {
            int used = widths[0];
            int to = from;
            while (to < columns && (to == from || used + 2 + widths[to] <= width)) {
                used += 2 + widths[to++];
            }
            List<List<String>> block = new ArrayList<>();
            for (List<String> row : rows) {
                block.add(columnsOf(row, from, to));
            }
            blocks.add(plain(columnsOf(header, from, to), block));
            from = Math.max(to, from + 1);
        }
        return String.join("\n", blocks);
    }

    /**
     * Word-wraps text to {@code width} columns: the first line starts with {@code firstIndent}, the others with
     * {@code indent}. A word longer than a line stays whole. Ends with a line break.
     */
    public static String wrap(String text, int width, String firstIndent, String indent) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder(firstIndent);
        int lineStart = line.length();
        for (String word : text.trim().split("\\s+")) {
            if (line.length() > lineStart && line.length() + 1 + word.length() > width) {
                out.append(line).append('\n');
                line = new StringBuilder(indent);
                lineStart = line.length();
            }
            if (line.length() > lineStart) {
                line.append(' ');
            }
            line.append(word);
        }
        return out.append(line).append('\n').toString();
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

    /** The first cell and cells [from, to) of a row. */
    private static List<String> columnsOf(List<String> row, int from, int to) {
        List<String> picked = new ArrayList<>();
        picked.add(cell(row, 0));
        for (int c = from; c < to; c++) {
            picked.add(cell(row, c));
        }
        return picked;
    }

    private static String cell(List<String> row, int column) {
        return column < row.size() ? row.get(column) : "";
    }
}
