package dev.wirehaven.itests;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * What the console tests talk to the web console with: a raw HTTP/1.1 request that carries exactly the
 * {@code Host} and {@code Origin} a test gives (the JDK's client will not send a foreign {@code Host}),
 * and Debian's headless Chromium driven through chromedriver.
 */
final class ConsoleClient {

    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/lib/chromium/chromium");

    /** An answer: the status, the header block and the body. */
    record Response(int status, String head, String body) {}

    private ConsoleClient() {}

    /**
     * One request over a plain socket to the console on loopback {@code port}.
     *
     * @param authorization the {@code Authorization} header's value, or null for none
     * @param origin the {@code Origin} header's value, or null for none
     * @param form a form body ({@code application/x-www-form-urlencoded}), or null for none
     */
    static Response send(
            int port, String method, String path, String host, String authorization, String origin, String form)
            throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            byte[] body = form == null ? new byte[0] : form.getBytes(StandardCharsets.UTF_8);
            StringBuilder request = new StringBuilder()
                    .append(method)
                    .append(' ')
                    .append(path)
                    .append(" HTTP/1.1\r\nHost: ")
                    .append(host)
                    .append("\r\n");
            if (authorization != null) {
                request.append("Authorization: ").append(authorization).append("\r\n");
            }
            request.append("Connection: close\r\n");
            if (origin != null) {
                request.append("Origin: ").append(origin).append("\r\n");
            }
            if (form != null) {
                request.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ")
                        .append(body.length)
                        .append("\r\n");
            }
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = all.indexOf("\r\n\r\n");
            String head = end < 0 ? all : all.substring(0, end);
            String[] statusLine = head.split("\r\n", 2)[0].split(" ");
            return new Response(Integer.parseInt(statusLine[1]), head, end < 0 ? "" : all.substring(end + 4));
        }
    }

    /** Skips the browser part where Chromium is not installed, unless the build requires it. */
    static void assumeBrowser() {
        boolean installed = Files.isExecutable(DRIVER) && Files.isExecutable(CHROMIUM);
        if (!installed && "1".equals(System.getenv("WIREHAVEN_REQUIRE_BROWSER"))) {
            throw new IllegalStateException("No Chromium at " + CHROMIUM + " with its driver " + DRIVER
                    + ", but WIREHAVEN_REQUIRE_BROWSER=1: apt-get install chromium chromium-driver");
        }
        Assumptions.assumeTrue(installed, "no Chromium and chromedriver: the browser part is not tested");
    }

    /** A headless Chromium with a window the console's pages fit in. */
    static WebDriver browser() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        // root needs --no-sandbox; /dev/shm is small in containers
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
        return new ChromeDriver(service, options);
    }
}
