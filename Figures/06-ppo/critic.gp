# The critic: value loss and explained variance of the returns
# Render from this directory: gnuplot critic.gp  (writes critic.png)
if (!exists("outfile")) outfile = 'critic.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'The critic: value loss and explained variance of the returns'
set xlabel 'iteration'
set ylabel 'value'
set key top right box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'critic.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'value loss', \
     'critic.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'explained variance'
