print("unity-fleet-bench: not built yet")
