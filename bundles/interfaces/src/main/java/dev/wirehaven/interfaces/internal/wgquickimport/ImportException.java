package dev.wirehaven.interfaces.internal.wgquickimport;

/**
 * Why a wg-quick file was not imported, said so that the operator can fix it: the file, the line or
 * key, and what to do. Nothing was written when it is thrown.
 */
public final class ImportException extends Exception {

    private static final long serialVersionUID = 1L;

    ImportException(String message) {
        super(message, null, false, false);
    }
}
