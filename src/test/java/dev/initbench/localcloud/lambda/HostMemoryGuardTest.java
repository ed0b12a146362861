package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The guard's arithmetic and its setting, on faked memory readings. */
class HostMemoryGuardTest {

    private static HostMemoryGuard guard(long floorMb, long availableMb) {
        return new HostMemoryGuard(floorMb, () -> OptionalLong.of(availableMb));
    }

    @Test
    void admitsAStartThatLeavesTheFloorFreeAndHoldsItsMemoryUntilReleased() throws Exception {
        HostMemoryGuard guard = guard(1024, 1174); // 1,174 − 150 = 1,024: exactly the floor

        HostMemoryGuard.Reservation java = guard.reserve(EnvironmentFootprint.JAVA);

        assertThat(guard.startingMb()).isEqualTo(150);
        java.close();
        java.close();
        assertThat(guard.startingMb()).as("released once").isZero();
    }

    @Test
    void refusesAStartThatWouldLeaveLessThanTheFloorNamingTheFiguresAndTheFix() {
        HostMemoryGuard guard = guard(1024, 1173);

        assertThatThrownBy(() -> guard.reserve(EnvironmentFootprint.JAVA))
                .isInstanceOfSatisfying(HostMemoryShortage.class, shortage -> {
                    assertThat(shortage.availableMb()).isEqualTo(1173);
                    assertThat(shortage.floorMb()).isEqualTo(1024);
                    assertThat(shortage.footprint()).isEqualTo(EnvironmentFootprint.JAVA);
                })
                .hasMessageContaining("this host's memory cannot hold another execution environment")
                .hasMessageContaining("1173 MB available (MemAvailable)")
                .hasMessageContaining("a Java environment needs 150 MB")
                .hasMessageContaining("1024 MB are kept free (LambdaSettings.hostMemoryFloorMb)")
                .hasMessageContaining("Lower the concurrency or arrival rate")
                .hasMessageContaining("lower the floor consciously");
        assertThat(guard.startingMb()).as("nothing reserved by a refusal").isZero();
    }

    @Test
    void countsEnvironmentsStillStartingSoASimultaneousBurstCannotOvershoot() throws Exception {
        HostMemoryGuard guard = guard(1024, 1404); // room for exactly 2 Java environments (and not 3)
        guard.reserve(EnvironmentFootprint.JAVA);
        HostMemoryGuard.Reservation second = guard.reserve(EnvironmentFootprint.JAVA);

        assertThatThrownBy(() -> guard.reserve(EnvironmentFootprint.JAVA))
                .hasMessageContaining("300 MB of it promised to environments still starting");
        second.close();
        assertThat(guard.reserve(EnvironmentFootprint.JAVA)).isNotNull();
    }

    @Test
    void sizesEachRuntimeFamilyByItsOwnFootprint() throws Exception {
        HostMemoryGuard guard = guard(1024, 1104); // 80 MB over the floor: a Node.js environment, not a JVM

        assertThatThrownBy(() -> guard.reserve(EnvironmentFootprint.JAVA)).isInstanceOf(HostMemoryShortage.class);
        guard.reserve(EnvironmentFootprint.NODE);
        assertThatThrownBy(() -> guard.reserve(EnvironmentFootprint.NODE))
                .hasMessageContaining("a Node.js environment needs 80 MB");
    }

    @Test
    void aFloorOfZeroTurnsTheGuardOffWithoutReadingMemory() throws Exception {
        HostMemoryGuard guard = new HostMemoryGuard(0, () -> {
            throw new AssertionError("the guard is off: memory must not be read");
        });

        guard.reserve(EnvironmentFootprint.JAVA).close();
        assertThat(guard.startingMb()).isZero();
    }

    @Test
    void admitsWhenTheHostDoesNotSayHowMuchIsAvailable() throws Exception {
        HostMemoryGuard guard = new HostMemoryGuard(1024, OptionalLong::empty);

        guard.reserve(EnvironmentFootprint.JAVA).close();
    }

    @Test
    void theFloorSettingRefusesNonsenseNamingTheSettingAndItsRange() {
        assertThat(LambdaSettings.defaults().hostMemoryFloorMb()).isEqualTo(1024);
        assertThat(LambdaSettings.builder().hostMemoryFloorMb(0).build().hostMemoryFloorMb()).isZero();
        assertThat(LambdaSettings.builder().hostMemoryFloorMb(512).build().toBuilder().build().hostMemoryFloorMb())
                .isEqualTo(512);
        assertThatThrownBy(() -> LambdaSettings.builder().hostMemoryFloorMb(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hostMemoryFloorMb must be between 0 (guard off) and 1048576 MB, was -1");
        assertThatThrownBy(() -> LambdaSettings.builder().hostMemoryFloorMb(1L << 30))
                .hasMessageContaining("was 1073741824").hasMessageContaining("in MB");
        assertThatThrownBy(() -> new HostMemoryGuard(-5, OptionalLong::empty))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsMemAvailableFromMeminfo() {
        String meminfo = "MemTotal:       24683520 kB\nMemFree:        21912344 kB\nMemAvailable:   23450624 kB\n";

        assertThat(HostMemory.availableMb(meminfo)).hasValue(22_901);
        assertThat(HostMemory.availableMb("MemTotal: 1 kB\n")).isEmpty();
    }

    @Test
    void theLogLineCarriesEveryFigure() {
        HostMemoryShortage shortage = new HostMemoryShortage(900, 150, EnvironmentFootprint.NODE, 1024);

        assertThat(HostMemoryDiagnostics.line(InitializationType.ON_DEMAND, shortage)).isEqualTo("HOSTMEMORY Refused"
                + "\tType: on-demand\tAvailable: 900 MB\tStarting: 150 MB\tNeeded: 80 MB\tFloor: 1024 MB\t");
    }
}
