/**
 * wg-quick(8) configuration files: read them with {@link dev.wirehaven.wireguard.wgquick.WgQuickParser}
 * (every problem reported with file, line, key and a fix), write them with
 * {@link dev.wirehaven.wireguard.wgquick.WgQuickWriter}, and build the client config that the stock
 * WireGuard apps import ({@link dev.wirehaven.wireguard.wgquick.StockClientConfig}), also as a QR code
 * ({@link dev.wirehaven.wireguard.wgquick.ConfigQrCode}). Texts and codes hold private keys: they go to
 * owner-only files or to the person they are for, never to a log; the records' {@code toString} redact them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.wirehaven.wireguard.wgquick;
