"""notifyhub: the real-time notification hub."""
