package dev.wirehaven.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.api.control.SetupConfirmation;
import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.policy.AccessRequest;
import dev.wirehaven.api.policy.AccessRule;
import dev.wirehaven.api.policy.Decision;
import dev.wirehaven.api.policy.PolicyEngine;
import dev.wirehaven.api.policy.RuleSet;
import dev.wirehaven.api.policy.Verdict;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.spi.ControlPlane;
import dev.wirehaven.sessions.spi.InterfaceProperties;
import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.PeerConfigurator;
import dev.wirehaven.wireguard.WireGuard;
import dev.wirehaven.wireguard.WireGuardDevice;
import dev.wirehaven.wireguard.testing.MemoryNetwork;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Local users are a plugin like any other: stopping the {@code auth-local} bundle takes
 * {@code password} out of the challenge while a connected client's tunnel keeps carrying traffic;
 * starting it again lets a new login in.
 *
 * <pre>
 *   client device (in-memory TUN) ---- MemoryNetwork ---- [wg0 :51820] server device (in-memory TUN)
 *                                                            registered as the WireGuardDevice service
 *   this test drives the session core's ControlPlane as the control API does
 * </pre>
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LocalUsersHotSwapIT extends WirehavenContainerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int LISTEN_PORT = 51820;
    private static final String PASSWORD = "Correct-Horse-7";
    /** The container's data directory outlives a run (for the post-mortem): each run adds a user of its own. */
    private static final String USER = "alice-" + Long.toString(System.currentTimeMillis(), 36);

    @Inject
    private CommandProcessor commands;

    private final MemoryNetwork net = new MemoryNetwork();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private InetAddress serverHost;
    private MemoryTun serverTun;
    private WireGuardDevice server;
    private ServiceRegistration<WireGuardDevice> registration;
    private ServiceRegistration<PolicyEngine> policy;

    @Configuration
    public Option[] configuration() {
        List<Option> more = new ArrayList<>();
        for (String artifactId : AUTH_LOCAL_BUNDLES) {
            more.add(runtimeBundle(artifactId));
        }
        // the in-memory TUNs and network of the drawing above
        more.add(testSupportBundle(TUN_TESTING));
        more.add(testSupportBundle(WIREGUARD_TESTING));
        return baseConfiguration("LocalUsersHotSwapIT", more.toArray(new Option[0]));
    }

    /** The server's interface wg0, as the interfaces bundle would register it. */
    @Before
    public void serveInterface() throws Exception {
        serverHost = net.newAddressV4();
        serverTun = new MemoryTun("wg0", 1420);
        server = WireGuard.createDevice("wg0", serverTun, net.factoryAt(serverHost), DeviceOptions.defaults());
        Key serverKey = Keys.generatePrivate();
        server.configure(c -> {
            c.privateKey(serverKey);
            c.listenPort(LISTEN_PORT);
        });
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(InterfaceProperties.INTERFACE, "wg0");
        props.put(InterfaceProperties.LISTEN_PORT, LISTEN_PORT);
        props.put(InterfaceProperties.PUBLIC_KEY, Keys.publicFrom(serverKey).toBase64());
        props.put(InterfaceProperties.ADDRESSES, new String[] {"10.8.0.1/24"});
        registration = context.registerService(WireGuardDevice.class, server, props);
        // the session layer enforces the access policy on traffic (default deny); this test is about logins,
        // so one engine lets the tunnel carry everything
        Hashtable<String, Object> engine = new Hashtable<>();
        engine.put(PolicyEngine.NAME_PROPERTY, "allow-all");
        policy = context.registerService(PolicyEngine.class, new AllowAll(), engine);
    }

    /** A policy engine whose one rule allows every flow. */
    private static final class AllowAll implements PolicyEngine {
        @Override
        public String name() {
            return "allow-all";
        }

        @Override
        public Decision decide(AccessRequest request) {
            return Decision.allow("this test allows everything", Duration.ZERO);
        }

        @Override
        public Optional<RuleSet> rules(Identity identity, String sessionId) {
            return Optional.of(RuleSet.of(List.of(
                    new AccessRule("all-v4", Verdict.ALLOW, IpPrefix.parse("0.0.0.0/0"), null, 0, 0, List.of()),
                    new AccessRule("all-v6", Verdict.ALLOW, IpPrefix.parse("::/0"), null, 0, 0, List.of()))));
        }
    }

    @After
    public void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        policy.unregister();
        registration.unregister();
        server.close();
    }

    @Test
    public void stoppingLocalUsersRemovesPasswordAndKeepsTunnelsStartingItLetsLoginsIn() throws Exception {
        Bundle authLocal = Arrays.stream(context.getBundles())
                .filter(b -> "dev.wirehaven.auth-local".equals(b.getSymbolicName()))
                .findFirst()
                .orElseThrow();
        // another provider stays bound throughout, so that there is a challenge to look at while auth-local is stopped
        Bundle tokens;
        try (InputStream in = Files.newInputStream(Distribution.pluginExample("wirehaven-example-auth-static-token"))) {
            tokens = context.installBundle("itest:static-token", in);
        }
        tokens.start();
        gogo("wirehaven:useradd " + USER + " " + PASSWORD);
        ControlPlane flow = controlPlane();

        // alice connects with her password; her tunnel carries a packet to the server
        Key alice = Keys.generatePrivate();
        MemoryTun aliceTun = connect(flow, alice);
        assertPacketReachesServer(aliceTun, 1);

        // auth-local stops: password leaves the challenge at once, alice's tunnel stays
        authLocal.stop();
        AuthChallenge without = flow.requestConnection(
                new ConnectionRequest(Keys.publicFrom(Keys.generatePrivate()).toBase64(), null, "phone"), source());
        assertEquals("password must leave the challenge with its bundle", List.of("static-token"), without.methods());
        assertPacketReachesServer(aliceTun, 2);

        // auth-local starts again: a new login with a password gets in
        authLocal.start();
        Eventually.await(
                "password to be offered again",
                TIMEOUT,
                () -> flow.requestConnection(
                                new ConnectionRequest(
                                        Keys.publicFrom(Keys.generatePrivate()).toBase64(), null, "probe"),
                                source())
                        .methods(),
                methods -> methods.contains("password"));
        MemoryTun laptop = connect(flow, Keys.generatePrivate());
        assertPacketReachesServer(laptop, 3);
        assertPacketReachesServer(aliceTun, 4);
    }

    /** The whole flow for one client device: request, password, server and client config, handshake, confirm. */
    private MemoryTun connect(ControlPlane flow, Key clientKey) throws Exception {
        String clientPublic = Keys.publicFrom(clientKey).toBase64();
        AuthChallenge challenge = flow.requestConnection(new ConnectionRequest(clientPublic, null, "laptop"), source());
        assertTrue(challenge.methods().toString(), challenge.methods().contains("password"));
        SessionGrant grant = flow.authenticate(
                challenge.sessionId(), new AuthResponse("password", USER, PASSWORD, null, null), source());
        ServerConfig config = flow.serverConfig(grant.sessionId(), grant.token(), serverHost.getHostAddress());
        flow.clientConfig(grant.sessionId(), grant.token(), new ClientConfig(clientPublic, List.of()));

        MemoryTun tun = new MemoryTun("wh0", config.mtu());
        WireGuardDevice client =
                WireGuard.createDevice("wh0", tun, net.factoryAt(net.newAddressV4()), DeviceOptions.defaults());
        closing.add(client);
        client.configure(c -> {
            c.privateKey(clientKey);
            PeerConfigurator p = c.peer(Key.fromBase64(config.serverPublicKey()), false);
            p.presharedKey(Key.fromBase64(config.presharedKey()));
            p.endpoint(new InetSocketAddress(serverHost, LISTEN_PORT));
            for (String route : config.routes()) {
                p.addAllowedIp(Cidr.parse(route));
            }
            // a keepalive at once starts the handshake
            p.persistentKeepalive(1);
        });
        SessionStatus active = Eventually.await(
                "the session to become active",
                TIMEOUT,
                () -> flow.confirm(grant.sessionId(), grant.token(), new SetupConfirmation("wh0")),
                status -> status.phase() == SessionPhase.ACTIVE);
        assertEquals(SessionPhase.ACTIVE, active.phase());
        tunAddresses.put(tun, config.addresses().get(0));
        return tun;
    }

    private final java.util.Map<MemoryTun, String> tunAddresses = new java.util.HashMap<>();

    /** A UDP datagram from the client's tunnel address to the server's arrives, unchanged, on the server's TUN. */
    private void assertPacketReachesServer(MemoryTun clientTun, int marker) throws Exception {
        InetAddress from = InetAddress.getByName(tunAddresses.get(clientTun).replaceFirst("/.*", ""));
        byte[] packet = Ipv4Udp.datagram(
                from,
                InetAddress.getByName("10.8.0.1"),
                40000 + marker,
                9,
                ("marker " + marker).getBytes(StandardCharsets.US_ASCII));
        clientTun.inject(packet);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            byte[] arrived = serverTun.poll(200, TimeUnit.MILLISECONDS);
            if (arrived != null && Arrays.equals(packet, arrived)) {
                return;
            }
        }
        throw new AssertionError("packet " + marker + " from " + from + " never reached the server's TUN");
    }

    private static InetAddress source() throws Exception {
        return InetAddress.getByName("198.51.100.7");
    }

    private ControlPlane controlPlane() throws InterruptedException {
        ServiceTracker<ControlPlane, ControlPlane> tracker = new ServiceTracker<>(context, ControlPlane.class, null);
        tracker.open();
        try {
            ControlPlane flow = tracker.waitForService(TIMEOUT.toMillis());
            assertNotNull("the session core never served wg0 (no ControlPlane service)", flow);
            return flow;
        } finally {
            // the service object stays usable; the session core keeps serving while wg0 is registered
            tracker.close();
        }
    }

    private String gogo(String command) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        CommandSession session = commands.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            Object result = session.execute(command);
            return printed.toString(StandardCharsets.UTF_8) + (result == null ? "" : result.toString());
        } finally {
            session.close();
        }
    }
}
