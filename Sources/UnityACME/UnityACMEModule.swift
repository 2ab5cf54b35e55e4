/// Native ACME client. See ACMEClient.swift.
enum UnityACMEModule {}
