"""What the store says about itself: stats, quality, monitor, analytics, describe, VoID, reason, export, caveats."""
