/**
 * wg-quick(8) configuration files: read them with {@link dev.wirehaven.wireguard.wgquick.WgQuickParser}
 * (every problem reported with file, line, key and a fix), write them with
 * {@link dev.wirehaven.wireguard.wgquick.WgQuickWriter}, and build the client config that the stock
 * WireGuard apps import ({@link dev.wirehaven.wireguard.wgquick.StockClientConfig}); the client SDK renders it as a QR code.
 * 2.0: {@code StockClientConfig.qrCode()} left the protocol bundle for the client's {@code ConfigQrCode}.
 * Texts and codes hold private keys: they go to
 * owner-only files or to the person they are for, never to a log; the records' {@code toString} redact them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package dev.wirehaven.wireguard.wgquick;
