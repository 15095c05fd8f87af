package dev.wirehaven.client.internal.cli;

import dev.wirehaven.client.ConfigQrCode;
import dev.wirehaven.client.ConnectOptions;
import dev.wirehaven.client.ConnectionEvent;
import dev.wirehaven.client.WirehavenClient;
import dev.wirehaven.client.internal.files.OwnerOnlyFiles;
import dev.wirehaven.wireguard.wgquick.StockClientConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code wirehaven-client export}: a stock client config and optionally its QR code, written
 * owner-only and never over an existing file (it would be someone's key).
 */
final class ExportCommand {

    /** Pixels per QR module: a 57-module code becomes a 520-pixel image that phones scan from a screen. */
    static final int QR_PIXELS_PER_MODULE = 8;

    private ExportCommand() {}

    static int run(Arguments.Export args, ClientCommand.Io io) {
        for (Path p : new Path[] {args.output(), args.qr()}) {
            if (p != null && Files.exists(p)) {
                io.err().println("wirehaven-client export: " + p + " already exists; remove it or choose another name");
                return ClientCommand.EXIT_FAILED;
            }
        }
        if (args.qr() != null && args.qr().toAbsolutePath().equals(args.output().toAbsolutePath())) {
            io.err().println("wirehaven-client export: --output and --qr name the same file");
            return ClientCommand.EXIT_USAGE;
        }
        CliPrompter prompter = new CliPrompter(args.passwordFile(), io.in(), io.terminal(), io.err());
        try {
            if (args.passwordFile() != null) {
                PasswordFile.check(args.passwordFile());
            }
            String fingerprint = FirstContact.fingerprint(
                    args.server(), args.fingerprint(), args.configDir().resolve("known_servers"), io.terminal());
            return export(args, io, prompter, fingerprint);
        } catch (IOException | RuntimeException e) {
            io.err().println("wirehaven-client export: " + SafeText.of(e.getMessage()));
            return ClientCommand.EXIT_FAILED;
        } finally {
            prompter.close();
        }
    }

    private static int export(Arguments.Export args, ClientCommand.Io io, CliPrompter prompter, String fingerprint)
            throws IOException {
        try (WirehavenClient client = WirehavenClient.builder(args.server())
                .knownServers(args.configDir().resolve("known_servers"))
                .fingerprint(fingerprint)
                .trustOnFirstUse(false)
                .notices(m -> io.out().println(SafeText.of(m)))
                .build()) {
            ConnectOptions options = ConnectOptions.forUser(args.user())
                    .withDeviceName(args.device())
                    .withListener(e -> {
                        if (e.kind() == ConnectionEvent.Kind.INFO) {
                            io.out().println(SafeText.of(e.message()));
                        }
                    });
            StockClientConfig config = client.export(options, prompter);
            writeOwnerOnly(args.output(), config.text().getBytes(StandardCharsets.UTF_8));
            io.out()
                    .println("Wrote " + args.output() + " (readable by you only): the client config for "
                            + SafeText.of(config.addresses() + " via "
                                    + config.server()
                                            .endpoint()
                                            .map(Object::toString)
                                            .orElse("?"))
                            + ", with its private key");
            if (args.qr() != null) {
                writeOwnerOnly(args.qr(), ConfigQrCode.of(config.text()).toPng(QR_PIXELS_PER_MODULE));
                io.out().println("Wrote " + args.qr() + ": the same config as a QR code; it holds the private key too");
            }
            io.out()
                    .println("No tunnel was brought up here. The config works while its session lasts (see above);"
                            + " import it into the WireGuard app now.");
            return ClientCommand.EXIT_OK;
        }
    }

    private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            OwnerOnlyFiles.createNew(file, content);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " appeared meanwhile; not overwritten", e);
        }
    }
}
