"""Answers to a member: a handler's answer to their reply, a step of their report.

They reach the member by the channels chosen for "Answers to my replies and reports"
(``preferences``): always as an inbox entry (``Notice``), by e-mail unless turned off,
by SMS if chosen and the number is verified.
"""
