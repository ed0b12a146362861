package dev.initbench.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleWidthTest {

    @Test
    void anExportedColumnsIsTheWidth() {
        assertThat(ConsoleWidth.of(Map.of("COLUMNS", "200"))).isEqualTo(200);
        assertThat(ConsoleWidth.of(Map.of("COLUMNS", " 80 "))).isEqualTo(80);
    }

    @Test
    void withoutAUsableColumnsTheTableFitsOneHundredTwentyColumns() {
        assertThat(ConsoleWidth.of(Map.of())).isEqualTo(120);
        assertThat(ConsoleWidth.of(Map.of("COLUMNS", "wide"))).isEqualTo(120);
        assertThat(ConsoleWidth.of(Map.of("COLUMNS", "0"))).isEqualTo(120);
    }

    @Test
    void aNarrowTerminalStillGetsTheLabelsAndOneColumn() {
        assertThat(ConsoleWidth.of(Map.of("COLUMNS", "20"))).isEqualTo(60);
    }
}
