//! Nothing of its own: this package only pulls in `aws-sdk-connect` 1.92.0, whose build is timed.
