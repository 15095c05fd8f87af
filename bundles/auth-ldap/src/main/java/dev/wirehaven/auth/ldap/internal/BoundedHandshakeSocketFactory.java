package dev.wirehaven.auth.ldap.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Makes {@code ldaps://} sockets whose TLS handshake gives up within the connect timeout.
 *
 * <p>UnboundID 7.0.5 runs the handshake in its connect thread ({@code ConnectThread.run}) but marks
 * the connection as made before the handshake, on a socket without a read timeout; when its connect
 * timeout passes, the caller takes the socket anyway and its host name check waits in
 * {@code SSLSocket.getSession()} for a handshake that never ends. A directory that accepts TCP and
 * never answers (a hung server, a half-open firewall) then blocks the login forever. A read timeout
 * set here, before the socket connects, ends that handshake with a {@code SocketTimeoutException};
 * UnboundID replaces it with the response timeout once the connection is up.
 *
 * <p>The handshake's timeout is three quarters of the connect timeout, so that it ends before
 * UnboundID stops waiting for its connect thread: the login then reports "Read timed out" rather than
 * the "peer not authenticated" of a host name check on a failed handshake.
 *
 * <p>Only new sockets get it: a socket layered over a connected one (StartTLS) keeps the timeout
 * that UnboundID gives its StartTLS handshake.
 */
final class BoundedHandshakeSocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory delegate;
    private final int handshakeTimeoutMillis;

    BoundedHandshakeSocketFactory(SSLSocketFactory delegate, int connectTimeoutMillis) {
        this.delegate = delegate;
        this.handshakeTimeoutMillis = Math.max(1, connectTimeoutMillis / 4 * 3);
    }

    private Socket bounded(Socket socket) throws IOException {
        socket.setSoTimeout(handshakeTimeoutMillis);
        return socket;
    }

    @Override
    public Socket createSocket() throws IOException {
        return bounded(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return bounded(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return bounded(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return bounded(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return bounded(delegate.createSocket(address, port, localAddress, localPort));
    }

    @Override
    public Socket createSocket(Socket layered, String host, int port, boolean autoClose) throws IOException {
        return delegate.createSocket(layered, host, port, autoClose);
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }
}
