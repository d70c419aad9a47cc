# The critic: value loss and explained variance of its targets (before it trains on each batch)
# Render from this directory: gnuplot critic.gp  (writes critic.png)
if (!exists("outfile")) outfile = 'critic.png'
set terminal pngcairo size 800,585 noenhanced font 'Sans,11'
set output outfile
set title 'The critic: value loss and explained variance of its targets (before it trains on each batch)'
set xlabel 'iteration'
set ylabel 'value'
set key outside below center horizontal Left reverse samplen 2 maxcols 1 height 1
set grid
set xrange [1:12]
set yrange [-0.0372297803:0.781825387]
set style fill transparent solid 0.2 noborder
plot 'critic.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'value loss', \
     'critic.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'explained variance of GAE''s returns (val/var_explained)', \
     'critic.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'explained variance of the return received', \
     0 with lines dt 2 lw 1.5 lc rgb '#333333' title 'explained variance of a constant'
