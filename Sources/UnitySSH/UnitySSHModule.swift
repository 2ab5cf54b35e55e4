/// The SSH trust plane. See SSHExecutor.swift.
enum UnitySSHModule {}
