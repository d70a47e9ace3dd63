package dev.ferry.template;

/** A template that cannot be parsed, or that asks the data for something it does not have. */
public final class TemplateException extends Exception {

    public TemplateException(String message) {
        super(message);
    }
}
