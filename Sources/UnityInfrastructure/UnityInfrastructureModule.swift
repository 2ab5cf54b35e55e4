/// Infrastructure collection. See CollectionScript.swift.
enum UnityInfrastructureModule {}
