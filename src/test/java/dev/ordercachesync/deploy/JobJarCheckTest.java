package dev.ordercachesync.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The build's check of the job jar fails on each thing that must not come back. */
class JobJarCheckTest {
    private static final long LIMIT = 1_000_000;

    @TempDir
    Path dir;

    private File jar(String... entries) throws IOException {
        File file = dir.resolve("job-" + System.nanoTime() + ".jar").toFile();
        try (ZipOutputStream zip = new ZipOutputStream(new FileOutputStream(file))) {
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write(entry.getBytes());
                zip.closeEntry();
            }
        }
        return file;
    }

    @Test
    void aJarOfTheJobAndLinuxNativesPasses() throws IOException {
        File jar = jar(JobJarCheck.MAIN_CLASS, "META-INF/native/libio_grpc_netty_shaded_netty_tcnative_linux_x86_64.so",
                "META-INF/native/libio_grpc_netty_shaded_netty_transport_native_epoll_aarch_64.so");
        assertThat(JobJarCheck.problems(jar, LIMIT)).isEmpty();
    }

    @Test
    void producerBinariesOtherSystemsNativesAndTestCodeFail() throws IOException {
        File jar = jar(JobJarCheck.MAIN_CLASS,
                "amazon-kinesis-producer-native-binaries/linux/kinesis_producer",
                "META-INF/native/libio_grpc_netty_shaded_netty_tcnative_osx_aarch_64.jnilib",
                "META-INF/native/io_grpc_netty_shaded_netty_tcnative_windows_x86_64.dll",
                "dev/ordercachesync/localmomento/LoopbackMomentoServer.class");
        assertThat(JobJarCheck.problems(jar, LIMIT)).hasSize(4)
                .anyMatch(p -> p.startsWith("amazon-kinesis-producer-native-binaries/linux/kinesis_producer"))
                .anyMatch(p -> p.contains("osx_aarch_64.jnilib: a native library for another operating system"))
                .anyMatch(p -> p.contains("windows_x86_64.dll"))
                .anyMatch(p -> p.contains("LoopbackMomentoServer.class: under dev/ordercachesync/localmomento/"));
    }

    @Test
    void theEnhancedFanOutClientAndItsNettyFail() throws IOException {
        File jar = jar(JobJarCheck.MAIN_CLASS,
                "org/apache/flink/kinesis/shaded/software/amazon/awssdk/services/kinesis/KinesisAsyncClient.class",
                "org/apache/flink/kinesis/shaded/io/netty/channel/Channel.class",
                "org/apache/flink/kinesis/shaded/com/amazonaws/services/dynamodbv2/AmazonDynamoDBStreamsClient.class");
        assertThat(JobJarCheck.problems(jar, LIMIT)).hasSize(2)
                .anyMatch(p -> p.startsWith("org/apache/flink/kinesis/shaded/software/amazon/awssdk/services/kinesis/KinesisAsyncClient.class"))
                .anyMatch(p -> p.startsWith("org/apache/flink/kinesis/shaded/io/netty/channel/Channel.class"));
    }

    @Test
    void aJarOverTheLimitOrWithoutTheJobFails() throws IOException {
        File jar = jar("README.txt");
        assertThat(JobJarCheck.problems(jar, 10)).hasSize(2)
                .anyMatch(p -> p.contains("over the limit of 10"))
                .anyMatch(p -> p.contains("this is not the job jar"));
    }

    /** The stream consumer's SDK loads its web identity support by name; a jar without it fails the build. */
    @Test
    void classesLoadedByNameMustLoadFromTheJar() throws Exception {
        File connector = new File(Class.forName(JobJarCheck.LOADED_BY_NAME.get(0)).getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        assertThat(JobJarCheck.unloadable(connector)).as("the connector's own jar has them").isEmpty();
        assertThat(JobJarCheck.unloadable(jar(JobJarCheck.MAIN_CLASS))).hasSize(JobJarCheck.LOADED_BY_NAME.size())
                .allMatch(p -> p.contains("cannot be loaded from the jar"));
    }
}
