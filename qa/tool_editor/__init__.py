"""The audit tool editor: change a tool version in the browser and save it as a new one."""
