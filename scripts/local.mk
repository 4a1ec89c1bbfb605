# The scripts are made from their .in by make, not by configure, so that the
# directories written into them are the ones make installs to (a prefix given
# to make, not only to configure), as the automake manual advises.
bin_SCRIPTS += scripts/geopmlaunch scripts/geopmreport
CLEANFILES += scripts/geopmlaunch scripts/geopmreport
EXTRA_DIST += scripts/geopmlaunch.in scripts/geopmreport.in
dist_man_MANS += man/geopmlaunch.1

edit_script = sed \
    -e 's|@bindir[@]|$(bindir)|g' \
    -e 's|@libdir[@]|$(libdir)|g' \
    -e 's|@PACKAGE_VERSION[@]|$(PACKAGE_VERSION)|g'

# Written to a temporary file first, so that an interrupted make leaves no
# half-written script behind that looks up to date.
generate_script = rm -f $@ $@.tmp && $(MKDIR_P) scripts && \
    $(edit_script) $(srcdir)/$@.in > $@.tmp && \
    chmod +x $@.tmp && chmod a-w $@.tmp && mv $@.tmp $@

scripts/geopmlaunch: $(srcdir)/scripts/geopmlaunch.in Makefile
	$(AM_V_GEN)$(generate_script)

scripts/geopmreport: $(srcdir)/scripts/geopmreport.in Makefile
	$(AM_V_GEN)$(generate_script)
