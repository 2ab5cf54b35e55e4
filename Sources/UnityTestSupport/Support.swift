import UnityApp
