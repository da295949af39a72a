package dev.parley.hub;

/** The broker cannot be reached now; the request was not carried out. */
public class BrokerUnavailableException extends RuntimeException {

  public BrokerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
