"""HTTP and WebSocket routes; each module is one audience: clients, services, operators."""
