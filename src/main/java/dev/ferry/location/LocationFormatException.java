package dev.ferry.location;

/** An image argument that names no location ferry reads: a usage error. */
public final class LocationFormatException extends IllegalArgumentException {

    public LocationFormatException(String message) {
        super(message);
    }
}
