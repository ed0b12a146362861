package dev.initbench.localcloud.state;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.initbench.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One JSON document of a service's state in the local cloud's data folder, written so that a crash never leaves
 * a half-written file: the new content goes to a temporary file that is forced to disk and then atomically moved
 * over the old one, and the directory holding it is forced too. A service writes its file before it acknowledges the request that changed it.
 */
public final class StateFile<T> {

    private static final ObjectWriter WRITER = Json.WRITER.without(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Path path;
    private final Class<T> type;

    public StateFile(Path path, Class<T> type) {
        this.path = path;
        this.type = type;
    }

    /** The stored state, or empty when nothing was written yet. */
    public Optional<T> read() {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.READER.forType(type).readValue(path.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read local cloud state " + path
                    + ": the file is corrupt; move it away to start with empty state", e);
        }
    }

    /** Replaces the stored state durably. */
    public synchronized void write(T state) {
        try {
            Files.createDirectories(path.getParent());
            Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(WRITER.writeValueAsBytes(state)));
                channel.force(true);
            }
            try {
                Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
            }
            // The rename itself lives in the directory: force it too, or a crash could bring back the old file.
            try (FileChannel directory = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write local cloud state " + path, e);
        }
    }
}
