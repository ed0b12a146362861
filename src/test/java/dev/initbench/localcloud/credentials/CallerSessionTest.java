package dev.initbench.localcloud.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Issuing, revoking, and holding a session's answers while its caller is frozen. */
class CallerSessionTest {

    private final CredentialRegistry registry = new CredentialRegistry("AKIAOWNKEY", "own-secret");
    private final List<String> events = new CopyOnWriteArrayList<>();

    private CallerSession.Answer answer(String name) {
        return new CallerSession.Answer() {
            @Override
            public void write() {
                events.add("write " + name);
            }

            @Override
            public void drop() {
                events.add("drop " + name);
            }
        };
    }

    @Test
    void issuedSessionsHaveTheirOwnTemporaryKeysUntilClosed() {
        CallerSession first = registry.issueSession();
        CallerSession second = registry.issueSession();
        assertThat(first.credentials().accessKeyId()).matches("ASIA[A-Z2-7]{16}")
                .isNotEqualTo(second.credentials().accessKeyId());
        assertThat(first.credentials().secretAccessKey()).hasSize(40);
        assertThat(first.credentials().sessionToken()).isNotBlank();
        assertThat(registry.find(first.credentials().accessKeyId())).get()
                .extracting(CredentialRegistry.Known::secretAccessKey).isEqualTo(first.credentials().secretAccessKey());
        assertThat(registry.find("AKIAOWNKEY")).get().extracting(CredentialRegistry.Known::session)
                .isEqualTo(java.util.Optional.empty());
        first.close();
        assertThat(registry.find(first.credentials().accessKeyId())).isEmpty();
        assertThat(registry.find(second.credentials().accessKeyId())).isPresent();
        assertThat(first.toString()).doesNotContain(first.credentials().secretAccessKey());
    }

    @Test
    void registeredKeysAreCheckedForClashes() {
        registry.register(new SessionCredentials("ASIAFROMSTS", "s", "t"));
        assertThatThrownBy(() -> registry.register(new SessionCredentials("ASIAFROMSTS", "s2", "t2")))
                .hasMessageContaining("already registered");
        assertThatThrownBy(() -> registry.register(new SessionCredentials("AKIAOWNKEY", "s", "t")))
                .hasMessageContaining("cloud's own");
    }

    @Test
    void answersAreWrittenAtOnceUnlessHeldThenInOrderOnRelease() {
        CallerSession session = registry.issueSession();
        session.answer(answer("a"));
        session.holdAnswers(Duration.ofSeconds(1));
        session.answer(answer("b"));
        session.answer(answer("c"));
        assertThat(events).containsExactly("write a");
        assertThat(session.heldCount()).isEqualTo(2);
        session.releaseAnswers(Runnable::run);
        session.answer(answer("d"));
        assertThat(events).containsExactly("write a", "write b", "write c", "write d");
        assertThat(session.holding()).isFalse();
    }

    @Test
    void heldAnswersAreDroppedWhenTheSessionEndsAndLaterOnesToo() {
        CallerSession session = registry.issueSession();
        session.holdAnswers(Duration.ofSeconds(1));
        session.answer(answer("held"));
        session.close();
        session.answer(answer("late"));
        session.releaseAnswers(Runnable::run);
        assertThat(events).containsExactly("drop held", "drop late");
    }

    @Test
    void holdingWaitsForAnAnswerBeingWritten() throws Exception {
        CallerSession session = registry.issueSession();
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Thread writer = new Thread(() -> session.answer(new CallerSession.Answer() {
            @Override
            public void write() {
                writing.countDown();
                try {
                    finish.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                events.add("written");
            }

            @Override
            public void drop() {
                events.add("dropped");
            }
        }));
        writer.start();
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
        Thread holder = new Thread(() -> {
            session.holdAnswers(Duration.ofSeconds(5));
            events.add("held");
        });
        holder.start();
        holder.join(200);
        assertThat(holder.isAlive()).as("holdAnswers returns only after the write in progress").isTrue();
        finish.countDown();
        holder.join(5000);
        writer.join(5000);
        assertThat(events).containsExactly("written", "held");
    }
}
