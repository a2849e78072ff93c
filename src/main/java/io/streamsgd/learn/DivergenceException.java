package io.streamsgd.learn;

/**
 * Thrown when an update would make the margin, a weight or the bias non-finite (a learning rate
 * too large for the data's scale). The model is left exactly as it was before the event.
 */
public final class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DivergenceException(String message) {
        super(message);
    }
}
