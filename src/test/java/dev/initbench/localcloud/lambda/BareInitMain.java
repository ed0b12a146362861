package dev.initbench.localcloud.lambda;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The init a function's execution environment performs, without the local cloud and without the runtime client:
 * loads the handler class from the unpacked code directory (root plus lib/*.jar, like the runtime client's class
 * loader), constructs it, prints {@code INIT_DONE} and exits. Arguments: code directory, handler class.
 */
public final class BareInitMain {

    private BareInitMain() {
    }

    public static void main(String[] args) throws Exception {
        Path code = Path.of(args[0]);
        List<URL> urls = new ArrayList<>();
        urls.add(code.toUri().toURL());
        try (Stream<Path> jars = Files.list(code.resolve("lib"))) {
            for (Path jar : jars.filter(path -> path.toString().endsWith(".jar")).sorted().toList()) {
                urls.add(jar.toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), BareInitMain.class.getClassLoader())) {
            Class.forName(args[1], true, loader).getDeclaredConstructor().newInstance();
        }
        System.out.println("INIT_DONE");
        System.out.flush();
        System.in.transferTo(java.io.OutputStream.nullOutputStream());
        System.exit(0);
    }
}
