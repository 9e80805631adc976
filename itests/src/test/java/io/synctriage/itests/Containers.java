package io.synctriage.itests;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.CoreOptions.when;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/**
 * Pax Exam options shared by the IT classes. Runs in the test JVM ({@code @Configuration}); everything the
 * tests need inside the container is handed over as system properties ({@link #HTTP_PORT} …).
 */
final class Containers {

    /** System properties visible inside the container. */
    static final String HTTP_PORT = "synctriage.itest.http.port";
    static final String BUNDLES_DIR = "synctriage.itest.bundles";
    static final String STOCK_REPO = "synctriage.stock.repo";
    static final String VERSION = "synctriage.version";

    /**
     * How long Pax Exam waits for the container's remote bundle context and for the probe. Karaf boots in
     * ~10 s here; the default in Karaf's test support is one hour, so a container that cannot boot (bad JVM
     * flags, a feature that does not resolve, a port clash) would hang CI instead of failing.
     */
    static final long SYSTEM_TIMEOUT_MS = 120_000;

    private Containers() {
    }

    /** A file named by a system property set in the itests pom (e.g. the distribution tar.gz). */
    static File requiredFile(String property) {
        String path = System.getProperty(property);
        if (path == null || path.isBlank() || path.startsWith("${")) {
            throw new IllegalStateException("System property " + property + " is not set: run the ITs through "
                    + "Maven (mvn verify), which passes it from the itests pom");
        }
        File file = new File(path);
        if (!file.exists()) {
            throw new IllegalStateException(property + " points to a missing file: " + file);
        }
        return file;
    }

    /** A currently free TCP port on the loopback interface (picked in the test JVM, used by the container). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /**
     * Options every container gets: the distribution unpacked under target/exam, free HTTP and SSH ports,
     * an offline Maven resolver, bounded timeouts, JDK 17 module flags and the system properties the tests
     * read inside the container.
     *
     * @param distribution the Karaf tar.gz to boot
     * @param name         the distribution's name as Pax Exam logs it
     * @param karafVersion the Karaf version of that distribution (its lib/endorsed jars carry it)
     * @param httpPort     HTTP port for Pax Web
     */
    static Option base(File distribution, String name, String karafVersion, int httpPort) {
        String localRepository = System.getProperty("maven.repo.local",
                System.getProperty("user.home") + "/.m2/repository");
        return composite(
                karafDistributionConfiguration()
                        .frameworkUrl(distribution.toURI().toString())
                        .name(name)
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                when(Boolean.getBoolean("synctriage.itest.keepRuntime")).useOptions(keepRuntimeFolder()),
                configureConsole().ignoreLocalConsole(),
                logLevel(LogLevel.WARN),
                systemTimeout(SYSTEM_TIMEOUT_MS),

                // Offline: no remote repository at all. Pax Exam's own `exam` feature comes from the build's
                // local repository (the itests pom resolves it there), everything else from system/.
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg",
                        "org.ops4j.pax.url.mvn.localRepository", localRepository),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.offline", "true"),
                editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "updateSnapshots", "none"),
                // No demo fleet: it loads in the background at boot and would race with what the tests store and
                // list. DemoFleetIT turns it back on.
                editConfigurationFilePut("etc/io.synctriage.importer.cfg", "demo.enabled", "false"),

                // Free ports, so a developer's running Karaf (8181/8101) or a parallel build does not clash.
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port",
                        String.valueOf(httpPort)),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(freePort())),

                jdk17ModuleFlags(karafVersion),
                // the JVM flags of the distribution's bin/setenv (Pax Exam starts Java itself, without it)
                vmOption("-Xms64m"),
                vmOption("-Xmx256m"),
                vmOption("-XX:+UseSerialGC"),
                vmOption("-XX:TieredStopAtLevel=1"),

                systemProperty(HTTP_PORT).value(String.valueOf(httpPort)),
                systemProperty(BUNDLES_DIR).value(requiredFile(BUNDLES_DIR).getAbsolutePath()));
    }

    /**
     * The JDK 9+ flags Karaf's bin/karaf passes (Karaf 4.4.10, lines 305-325) and Pax Exam does not: without
     * them Karaf 4.4 dies at boot with NoClassDefFoundError org/apache/karaf/specs/locator/OsgiLocator and Pax
     * Exam reports "Cannot get the remote bundle context". Paths are relative to the unpacked Karaf home.
     */
    static Option jdk17ModuleFlags(String karafVersion) {
        return composite(
                vmOption("--add-reads=java.xml=java.logging"),
                vmOption("--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED"),
                vmOption("--patch-module"),
                vmOption("java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar"),
                vmOption("--patch-module"),
                vmOption("java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar"),
                vmOption("--add-opens=java.base/java.security=ALL-UNNAMED"),
                vmOption("--add-opens=java.base/java.net=ALL-UNNAMED"),
                vmOption("--add-opens=java.base/java.lang=ALL-UNNAMED"),
                vmOption("--add-opens=java.base/java.util=ALL-UNNAMED"),
                vmOption("--add-opens=java.naming/javax.naming.spi=ALL-UNNAMED"),
                vmOption("--add-opens=java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED"),
                vmOption("--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED"),
                vmOption("--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED"),
                vmOption("--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED"),
                vmOption("--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED"),
                vmOption("--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED"),
                vmOption("--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED"),
                vmOption("--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED"),
                vmOption("--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED"),
                vmOption("--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"),
                vmOption("--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED"),
                vmOption("--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED"));
    }
}
